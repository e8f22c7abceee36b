export default defineAppConfig({
  pages: ['pages/index/index', 'pages/code/index', 'pages/coupons/index', 'pages/mall/index', 'pages/points/index', 'pages/register/index'],
  // Staff pages and less-visited member pages load on demand, keeping the main package small.
  subPackages: [
    { root: 'subpackages/counter', pages: ['login/index', 'counter/index', 'refund/index', 'pickup/index'] },
    { root: 'subpackages/member', pages: ['orders/index', 'order/index', 'coupon/index'] },
    { root: 'subpackages/mall', pages: ['item/index', 'redemptions/index'] },
    { root: 'subpackages/engage', pages: ['checkin/index', 'invite/index'] },
    { root: 'subpackages/profile', pages: ['benefits/index', 'me/index'] },
    // Operators (admin staff) work in a browser; the whole area stays out of the member's main package.
    {
      root: 'subpackages/operator',
      pages: [
        'dashboard/index',
        'mall/index',
        'templates/index',
        'members/index',
        'member/index',
        'audit/index',
        'campaigns/index',
        'stores/index',
        'jobs/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
    // WeChat always draws its bar; on H5 this turns on Taro's own bar (title, and a back button on sub-pages).
    navigationStyle: 'default',
    backgroundColor: '#f4f5f7',
  },
  tabBar: {
    color: '#8a8f98',
    selectedColor: '#c9962c',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '会员', iconPath: 'assets/tab/member-normal.png', selectedIconPath: 'assets/tab/member-active.png' },
      { pagePath: 'pages/code/index', text: '会员码', iconPath: 'assets/tab/code-normal.png', selectedIconPath: 'assets/tab/code-active.png' },
      { pagePath: 'pages/coupons/index', text: '券包', iconPath: 'assets/tab/coupon-normal.png', selectedIconPath: 'assets/tab/coupon-active.png' },
      { pagePath: 'pages/mall/index', text: '积分商城', iconPath: 'assets/tab/mall-normal.png', selectedIconPath: 'assets/tab/mall-active.png' },
    ],
  },
});
